#include "widgets/SignInDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace clusterra {

SignInDialog::SignInDialog(const QString &serverName, QWidget *parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign in to %1").arg(serverName));
    auto *layout = new QVBoxLayout(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // no percentage to show: waiting on a person in a browser
    m_busy->setTextVisible(false);
    m_busy->setAccessibleName(tr("Waiting for the browser sign-in"));
    layout->addWidget(m_busy);
    m_linkHint = new QLabel(tr("If no browser opened, copy this link into one:"), this);
    layout->addWidget(m_linkHint);
    auto *row = new QHBoxLayout;
    m_link = new QLineEdit(this);
    m_link->setObjectName(QStringLiteral("signInLink"));
    m_link->setReadOnly(true);
    m_link->setAccessibleName(tr("Sign-in link"));
    m_copy = new QPushButton(tr("&Copy link"), this);
    m_copy->setObjectName(QStringLiteral("copySignInLink"));
    m_copy->setToolTip(tr("Copy the sign-in link to the clipboard"));
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_link->text());
        m_copy->setText(tr("Copied"));
    });
    row->addWidget(m_link, 1);
    row->addWidget(m_copy);
    layout->addLayout(row);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("signInError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d9534f"));
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_retry = buttons->addButton(tr("&Try again"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("retrySignIn"));
    connect(m_retry, &QPushButton::clicked, this, &SignInDialog::retryRequested);
    connect(buttons, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
    setWaiting();
}

void SignInDialog::setWaiting() {
    m_status->setText(tr("Continue in your browser: sign in there, then come back. The console "
                         "waits up to five minutes."));
    m_busy->show();
    m_error->clear();
    m_error->hide();
    m_retry->hide();
    m_linkHint->setVisible(!m_link->text().isEmpty());
    m_link->setVisible(!m_link->text().isEmpty());
    m_copy->setVisible(!m_link->text().isEmpty());
}

void SignInDialog::setAuthorizationUrl(const QUrl &url, bool browserOpened) {
    m_link->setText(url.toString(QUrl::FullyEncoded));
    m_link->setCursorPosition(0);
    m_copy->setText(tr("&Copy link"));
    m_linkHint->setText(browserOpened ? tr("If no browser opened, copy this link into one:")
                                      : tr("No browser could be opened. Copy this link into a "
                                           "browser on this computer:"));
    m_linkHint->show();
    m_link->show();
    m_copy->show();
}

void SignInDialog::setError(const QString &message) {
    m_busy->hide();
    m_status->setText(tr("The sign-in did not complete."));
    m_error->setText(message);
    m_error->show();
    m_retry->show();
}

QString SignInDialog::errorText() const {
    return m_error->isVisible() ? m_error->text() : QString();
}

void SignInDialog::reject() {
    Q_EMIT cancelRequested();
    QDialog::reject();
}

QString SignInDialog::linkText() const {
    return m_link->text();
}

} // namespace clusterra
